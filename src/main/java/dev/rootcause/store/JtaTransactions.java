package dev.rootcause.store;

import dev.rootcause.incident.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * JTA transactions (Narayana): the store's connections (Agroal) enlist in the transaction active on the
 * thread, so every repository call inside {@code work} runs in it.
 */
@ApplicationScoped
public class JtaTransactions implements Transactions {

    @Override
    public void inNewTransaction(Runnable work) {
        QuarkusTransaction.requiringNew().run(work);
    }
}
